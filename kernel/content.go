package kernel

// The typed contents of every message the kernel receives or sends, one struct
// per message type, named after it. Field names follow the messaging spec
// (https://jupyter-client.readthedocs.io/en/latest/messaging.html).

// KernelInfoReply describes the kernel and its language to the front end.
type KernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          LanguageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	HelpLinks             []HelpLink   `json:"help_links"`
	Debugger              bool         `json:"debugger"`
}

// LanguageInfo tells the front end how to highlight and save cells.
type LanguageInfo struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Mimetype       string `json:"mimetype"`
	FileExtension  string `json:"file_extension"`
	PygmentsLexer  string `json:"pygments_lexer"`
	CodemirrorMode string `json:"codemirror_mode"`
}

// HelpLink is one entry of the front end's Help menu.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// ExecuteRequest asks the kernel to run one cell.
type ExecuteRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"` // default true
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"` // default true
}

// ExecuteInput re-broadcasts the code being run on iopub, so every connected
// front end sees it with its execution count.
type ExecuteInput struct {
	Code           string `json:"code"`
	ExecutionCount int    `json:"execution_count"`
}

// ExecuteReply ends an execute request. Status is "ok", "error" or "aborted";
// on "error" the embedded ErrorContent carries the error (its traceback is
// always a list).
type ExecuteReply struct {
	Status          string         `json:"status"`
	ExecutionCount  int            `json:"execution_count"`
	Payload         []Payload      `json:"payload"`
	UserExpressions map[string]any `json:"user_expressions"`
	*ErrorContent
}

// Payload is an execute_reply side effect; the kernel only uses the pager
// ("page") payload, which `name?` produces.
type Payload struct {
	Source string         `json:"source"`
	Data   map[string]any `json:"data"`
	Start  int            `json:"start"`
}

// ErrorContent is an error, as published on iopub ("error" message) and as the
// error fields of a reply.
type ErrorContent struct {
	Ename     string   `json:"ename"`
	Evalue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// UserExpressionValue is the value of one user expression as a MIME bundle.
type UserExpressionValue struct {
	Status   string         `json:"status"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// UserExpressionError is a user expression that failed.
type UserExpressionError struct {
	Status string `json:"status"`
	ErrorContent
}

// ExecuteResult is the value of a cell's final expression (Out[n]).
type ExecuteResult struct {
	ExecutionCount int            `json:"execution_count"`
	Data           map[string]any `json:"data"`
	Metadata       map[string]any `json:"metadata"`
}

// DisplayData shows a MIME bundle; with a display_id in Transient, later
// update_display_data messages with that id redraw it in place.
type DisplayData struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient *Transient     `json:"transient,omitempty"`
}

// Transient holds display fields that are not saved in the notebook.
type Transient struct {
	DisplayID string `json:"display_id"`
}

// ClearOutput clears the cell's output area.
type ClearOutput struct {
	Wait bool `json:"wait"`
}

// Stream is text written to stdout or stderr.
type Stream struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Status announces the kernel's state: "starting", "busy" or "idle".
type Status struct {
	ExecutionState string `json:"execution_state"`
}

// CompleteRequest asks for completions at CursorPos (Unicode code points).
type CompleteRequest struct {
	Code      string `json:"code"`
	CursorPos int    `json:"cursor_pos"`
}

// CompleteReply lists matches that replace code[CursorStart:CursorEnd].
type CompleteReply struct {
	Status      string         `json:"status"`
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

// InspectRequest asks for documentation of the name at CursorPos.
type InspectRequest struct {
	Code        string `json:"code"`
	CursorPos   int    `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

// InspectReply carries the documentation as a MIME bundle.
type InspectReply struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// IsCompleteRequest asks whether code is ready to run (console front ends).
type IsCompleteRequest struct {
	Code string `json:"code"`
}

// IsCompleteReply answers "complete", "incomplete" (with an indent for the next
// line), "invalid" or "unknown".
type IsCompleteReply struct {
	Status string  `json:"status"`
	Indent *string `json:"indent,omitempty"` // only with "incomplete"
}

// HistoryRequest asks for past inputs: the last N ("tail"), a line range of a
// session ("range"), or those matching a glob pattern ("search").
type HistoryRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// HistoryReply lists (session, line, input) triples, or (session, line,
// [input, output]) when output was requested.
type HistoryReply struct {
	Status  string  `json:"status"`
	History [][]any `json:"history"`
}

// CommInfoRequest asks for open comms, optionally of one target.
type CommInfoRequest struct {
	TargetName string `json:"target_name"`
}

// CommInfoReply lists open comms; the kernel opens none.
type CommInfoReply struct {
	Status string         `json:"status"`
	Comms  map[string]any `json:"comms"`
}

// ShutdownRequest stops the kernel; Restart tells it that the client will start
// a new one right away.
type ShutdownRequest struct {
	Restart bool `json:"restart"`
}

// ShutdownReply acknowledges a shutdown request.
type ShutdownReply struct {
	Status  string `json:"status"`
	Restart bool   `json:"restart"`
}

// InterruptReply acknowledges an interrupt request.
type InterruptReply struct {
	Status string `json:"status"`
}

// InputRequest asks the front end, on the stdin channel, for a line of text
// (a cell called wb.Input); its parent is the execute request that is running.
type InputRequest struct {
	Prompt   string `json:"prompt"`
	Password bool   `json:"password"`
}

// InputReply carries what the user typed back to the kernel.
type InputReply struct {
	Value string `json:"value"`
}
