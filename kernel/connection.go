package kernel

import (
	"encoding/json"
	"fmt"
	"os"
)

// ConnectionInfo is the connection file a Jupyter client writes before starting
// the kernel: where each of the five sockets listens and the key that signs
// every message. Its path is the kernel's only command-line argument.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile loads and checks a connection file, filling in the
// defaults Jupyter documents (tcp, hmac-sha256) for fields an old client omits.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	var info ConnectionInfo
	raw, err := os.ReadFile(path)
	if err != nil {
		return info, fmt.Errorf("connection file: %w", err)
	}
	if err := json.Unmarshal(raw, &info); err != nil {
		return info, fmt.Errorf("connection file %s: invalid JSON: %w", path, err)
	}
	if info.Transport == "" {
		info.Transport = "tcp"
	}
	if info.SignatureScheme == "" {
		info.SignatureScheme = "hmac-sha256"
	}
	if info.Transport != "tcp" && info.Transport != "ipc" {
		return info, fmt.Errorf("connection file %s: field transport is %q, expected \"tcp\" or \"ipc\"", path, info.Transport)
	}
	if info.SignatureScheme != "hmac-sha256" {
		return info, fmt.Errorf("connection file %s: field signature_scheme is %q, only \"hmac-sha256\" is supported", path, info.SignatureScheme)
	}
	if info.IP == "" {
		return info, fmt.Errorf("connection file %s: field ip is empty", path)
	}
	ports := map[string]int{"shell_port": info.ShellPort, "control_port": info.ControlPort,
		"stdin_port": info.StdinPort, "iopub_port": info.IOPubPort, "hb_port": info.HBPort}
	for name, port := range ports {
		if port <= 0 || port > 65535 {
			return info, fmt.Errorf("connection file %s: field %s is %d, expected a port in 1..65535", path, name, port)
		}
	}
	return info, nil
}

// Endpoint is the ZeroMQ address of one socket: tcp://IP:PORT, or for the ipc
// transport the file IP-PORT, as jupyter_client names it.
func (c ConnectionInfo) Endpoint(port int) string {
	if c.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", c.IP, port)
}
