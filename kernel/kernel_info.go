package kernel

import (
	"runtime"
	"strings"
)

// Version is turinglab's version, reported in kernel_info and by
// `turinglab version`; release builds may set it with -ldflags -X.
var Version = "0.1.0"

// kernelInfoReply describes the kernel: protocol version, implementation, and
// the Go language details a front end needs for highlighting and saving.
func kernelInfoReply() KernelInfoReply {
	goVersion := strings.TrimPrefix(runtime.Version(), "go")
	return KernelInfoReply{
		Status:                "ok",
		ProtocolVersion:       ProtocolVersion,
		Implementation:        "turinglab",
		ImplementationVersion: Version,
		LanguageInfo: LanguageInfo{
			Name:           "go",
			Version:        goVersion,
			Mimetype:       "text/x-go",
			FileExtension:  ".go",
			PygmentsLexer:  "go",
			CodemirrorMode: "go",
		},
		Banner: "turinglab " + Version + " — Go " + goVersion + " cells, interpreted by yaegi.\n" +
			"The workbench is imported as wb. Type %help for magics.",
		HelpLinks: []HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "yaegi", URL: "https://github.com/traefik/yaegi"},
		},
		Debugger: false,
	}
}

// kernelInfo answers kernel_info_request on shell or control.
func (k *Kernel) kernelInfo(ch *channel, msg Message) {
	k.reply(ch, msg, "kernel_info_reply", kernelInfoReply())
}
