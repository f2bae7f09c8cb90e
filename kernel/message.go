package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ProtocolVersion is the version of the Jupyter messaging protocol this kernel
// speaks. It must be 5.2 or newer: for 5.0/5.1 Jupyter's own test suite rejects
// the extra header keys jupyter_client adds, and from 5.2 on cursor positions
// are counted in Unicode code points.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities from the message proper.
const delimiter = "<IDS|MSG>"

// Header identifies one message: who sent it, when, and what kind it is. A
// reply's parent header is the header of the request it answers, which is how
// a client matches replies and outputs to its requests.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message as it travels on a socket. Identities are the
// ROUTER routing frames (the reply goes back to the same identities); Content is
// kept raw on receipt and decoded by the handler that knows its type.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader Header // zero when the message has no parent
	Metadata     map[string]any
	Content      json.RawMessage
	Buffers      [][]byte
}

// ErrBadSignature marks a received message whose HMAC did not verify.
var ErrBadSignature = errors.New("invalid message signature")

// newHeader returns a fresh header (new UUID, current time) of the given type,
// sent in the kernel's session.
func newHeader(msgType, session string) Header {
	return Header{
		MsgID:    uuid.NewString(),
		Session:  session,
		Username: "turinglab",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// encodeHeader writes a header as JSON; the zero header (no parent) is {}.
func encodeHeader(h Header) ([]byte, error) {
	if h == (Header{}) {
		return []byte("{}"), nil
	}
	return json.Marshal(h)
}

// Encode turns a message into ZeroMQ frames: identities, the delimiter, the
// signature, header, parent header, metadata, content, then binary buffers.
// content is any JSON-encodable value (one of the typed content structs).
func Encode(s *Signer, identities [][]byte, header, parent Header, metadata map[string]any, content any) ([][]byte, error) {
	h, err := encodeHeader(header)
	if err != nil {
		return nil, err
	}
	p, err := encodeHeader(parent)
	if err != nil {
		return nil, err
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	m, err := json.Marshal(metadata)
	if err != nil {
		return nil, fmt.Errorf("encode metadata of %s: %w", header.MsgType, err)
	}
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encode content of %s: %w", header.MsgType, err)
	}
	frames := make([][]byte, 0, len(identities)+6)
	frames = append(frames, identities...)
	frames = append(frames, []byte(delimiter), []byte(s.Sign(h, p, m, c)), h, p, m, c)
	return frames, nil
}

// Decode parses and authenticates received frames. It fails (and the caller
// drops the message) when the delimiter or a frame is missing, the signature is
// wrong, or a frame is not valid JSON.
func Decode(s *Signer, frames [][]byte) (Message, error) {
	var msg Message
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], []byte(delimiter)) {
		i++
	}
	if i == len(frames) {
		return msg, fmt.Errorf("message without the %s delimiter (%d frames)", delimiter, len(frames))
	}
	msg.Identities = frames[:i]
	rest := frames[i+1:]
	if len(rest) < 5 {
		return msg, fmt.Errorf("message has %d frames after the delimiter, expected at least 5 (signature, header, parent, metadata, content)", len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if !s.Verify(sig, header, parent, metadata, content) {
		return msg, ErrBadSignature
	}
	if err := json.Unmarshal(header, &msg.Header); err != nil {
		return msg, fmt.Errorf("message header is not valid JSON: %w", err)
	}
	if len(bytes.TrimSpace(parent)) > 0 {
		if err := json.Unmarshal(parent, &msg.ParentHeader); err != nil {
			return msg, fmt.Errorf("parent header of %s is not valid JSON: %w", msg.Header.MsgType, err)
		}
	}
	if len(bytes.TrimSpace(metadata)) > 0 {
		if err := json.Unmarshal(metadata, &msg.Metadata); err != nil {
			return msg, fmt.Errorf("metadata of %s is not valid JSON: %w", msg.Header.MsgType, err)
		}
	}
	if !json.Valid(content) {
		return msg, fmt.Errorf("content of %s is not valid JSON", msg.Header.MsgType)
	}
	msg.Content = json.RawMessage(content)
	msg.Buffers = rest[5:]
	return msg, nil
}

// DecodeContent unmarshals a message's content into the typed struct v, naming
// the message type in the error.
func (m Message) DecodeContent(v any) error {
	if len(m.Content) == 0 {
		return nil
	}
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("content of %s: %w", m.Header.MsgType, err)
	}
	return nil
}
