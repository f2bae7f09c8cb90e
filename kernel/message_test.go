package kernel

import (
	"bytes"
	"errors"
	"testing"
)

// TestSignMatchesJupyterClient checks the HMAC against a value computed by
// jupyter_client.session.Session(key=b"secret-key").sign(...).
func TestSignMatchesJupyterClient(t *testing.T) {
	s := NewSigner("secret-key")
	got := s.Sign([]byte(`{"msg_id":"1"}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"1+1"}`))
	want := "f29edc2ae347e99e996cf426a9068abd72bbac08f131d7b7d863f0430600434a"
	if got != want {
		t.Fatalf("signature = %s, want %s", got, want)
	}
	if NewSigner("").Sign([]byte("a"), nil, nil, nil) != "" {
		t.Fatal("an empty key must disable signing")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := NewSigner("k")
	h := newHeader("execute_request", "sess")
	frames, err := Encode(s, [][]byte{[]byte("id1"), []byte("id2")}, h, Header{}, nil, ExecuteRequest{Code: "1+1"})
	if err != nil {
		t.Fatal(err)
	}
	if string(frames[2]) != delimiter || string(frames[5]) != "{}" || string(frames[6]) != "{}" {
		t.Fatalf("unexpected frames %q", frames)
	}
	msg, err := Decode(s, frames)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header != h || len(msg.Identities) != 2 || !bytes.Equal(msg.Identities[1], []byte("id2")) {
		t.Fatalf("round trip changed the message: %+v", msg)
	}
	var req ExecuteRequest
	if err := msg.DecodeContent(&req); err != nil || req.Code != "1+1" {
		t.Fatalf("content %+v, %v", req, err)
	}
}

func TestDecodeRejectsBadMessages(t *testing.T) {
	s := NewSigner("k")
	frames, _ := Encode(s, nil, newHeader("kernel_info_request", "s"), Header{}, nil, struct{}{})

	bad := append([][]byte(nil), frames...)
	bad[1] = []byte("00" + string(frames[1][2:]))
	if _, err := Decode(s, bad); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong signature: err = %v, want ErrBadSignature", err)
	}
	missing := append([][]byte(nil), frames...)
	missing[1] = nil
	if _, err := Decode(s, missing); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("missing signature: err = %v, want ErrBadSignature", err)
	}
	tampered := append([][]byte(nil), frames...)
	tampered[5] = []byte(`{"evil":1}`)
	if _, err := Decode(s, tampered); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered content: err = %v, want ErrBadSignature", err)
	}
	if _, err := Decode(s, frames[1:]); err == nil {
		t.Fatal("a message without delimiter must be rejected")
	}
	if _, err := Decode(s, frames[:4]); err == nil {
		t.Fatal("a truncated message must be rejected")
	}
}
