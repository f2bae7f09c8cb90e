package kernel

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

// Benchmarks of the two numbers a user feels: how long a kernel takes from
// process start to its first kernel_info_reply, and the round trip of a
// trivial execute_request (send to execute_reply). The same Go client measures
// turinglab, ipykernel (python3 -m ipykernel_launcher) and gophernotes (when
// installed: $GOPHERNOTES or on PATH), so the figures compare like with like.
//
//	go test ./kernel -run '^$' -bench 'KernelStart|ExecuteRoundTrip|KernelFirstResult' -benchtime 100x
//
// The figures are wall-clock and noisy on a shared machine; see BENCHMARKS.md.

// benchKernels lists the kernels to measure: name and argv with the
// {connection_file} placeholder, as in a kernelspec.
func benchKernels(b *testing.B) [][2]any {
	kernels := [][2]any{{"turinglab", []string{binary(b), "kernel", "{connection_file}"}}}
	if exec.Command("/usr/bin/python3", "-c", "import ipykernel").Run() == nil {
		kernels = append(kernels, [2]any{"ipykernel", []string{"/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"}})
	}
	gn := os.Getenv("GOPHERNOTES")
	if gn == "" {
		gn, _ = exec.LookPath("gophernotes")
	}
	if gn != "" {
		kernels = append(kernels, [2]any{"gophernotes", []string{gn, "{connection_file}"}})
	}
	return kernels
}

// rawKernel is a kernel process with just a shell socket, for timing.
type rawKernel struct {
	cmd    *exec.Cmd
	signer *Signer
	shell  zmq4.Socket
	sess   string
}

// launch starts argv on a fresh connection file and dials its shell socket.
func launch(b *testing.B, argv []string) *rawKernel {
	file, info := writeConnectionFile(b)
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = strings.ReplaceAll(a, "{connection_file}", file)
	}
	r := &rawKernel{signer: NewSigner(info.Key), sess: uuid.NewString()}
	r.cmd = exec.Command(args[0], args[1:]...)
	r.cmd.Dir = filepath.Dir(file)
	if err := r.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r.shell = zmq4.NewDealer(b.Context(), zmq4.WithDialerRetry(5*time.Millisecond), zmq4.WithDialerMaxRetries(4000))
	if err := r.shell.Dial(info.Endpoint(info.ShellPort)); err != nil {
		b.Fatal(err)
	}
	return r
}

// call sends a request and waits for the reply with its msg_id.
func (r *rawKernel) call(b *testing.B, msgType string, content any) json.RawMessage {
	h := newHeader(msgType, r.sess)
	frames, err := Encode(r.signer, nil, h, Header{}, nil, content)
	if err != nil {
		b.Fatal(err)
	}
	if err := r.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		b.Fatal(err)
	}
	for {
		raw, err := r.shell.Recv()
		if err != nil {
			b.Fatal(err)
		}
		msg, err := Decode(r.signer, raw.Frames)
		if err != nil {
			b.Fatal(err)
		}
		if msg.ParentHeader.MsgID == h.MsgID {
			return msg.Content
		}
	}
}

// execute runs code and fails the benchmark unless the cell succeeded, so a
// broken session is never timed as a fast one.
func (r *rawKernel) execute(b *testing.B, code string) {
	var reply ExecuteReply
	raw := r.call(b, "execute_request", ExecuteRequest{Code: code, UserExpressions: map[string]string{}})
	if err := json.Unmarshal(raw, &reply); err != nil || reply.Status != "ok" {
		b.Fatalf("execute %q: %s", code, raw)
	}
}

func (r *rawKernel) stop() {
	_ = r.shell.Close()
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
}

// BenchmarkKernelStart times process start to the first kernel_info_reply.
func BenchmarkKernelStart(b *testing.B) {
	for _, k := range benchKernels(b) {
		b.Run(k[0].(string), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				t0 := time.Now()
				r := launch(b, k[1].([]string))
				r.call(b, "kernel_info_request", struct{}{})
				total += time.Since(t0)
				r.stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/start")
		})
	}
}

// BenchmarkExecuteRoundTrip times a trivial execute_request ("1") from send to
// execute_reply on a warm kernel.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	for _, k := range benchKernels(b) {
		b.Run(k[0].(string), func(b *testing.B) {
			r := launch(b, k[1].([]string))
			defer r.stop()
			for range 5 { // warm up: session creation, first compilation
				r.execute(b, "1")
			}
			b.ResetTimer()
			t0 := time.Now()
			for range b.N {
				r.execute(b, "1")
			}
			b.ReportMetric(float64(time.Since(t0).Microseconds())/1000/float64(b.N), "ms/roundtrip")
		})
	}
}

// BenchmarkKernelFirstResult times process start to the reply of the first
// execute_request: what a user waits for after "Restart & Run All", including
// building the Go session (which kernel_info does not wait for).
func BenchmarkKernelFirstResult(b *testing.B) {
	for _, k := range benchKernels(b) {
		b.Run(k[0].(string), func(b *testing.B) {
			var total time.Duration
			for range b.N {
				t0 := time.Now()
				r := launch(b, k[1].([]string))
				r.execute(b, "1")
				total += time.Since(t0)
				r.stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/first-result")
		})
	}
}
