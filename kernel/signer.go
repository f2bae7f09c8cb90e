package kernel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// Signer computes and checks the HMAC-SHA256 signature that authenticates every
// message: the hex digest of header, parent header, metadata and content, keyed
// with the connection file's key. With an empty key, signing is disabled (the
// signature frame is empty), as the messaging spec allows.
type Signer struct {
	key []byte
}

// NewSigner returns a signer for the connection file's key.
func NewSigner(key string) *Signer {
	return &Signer{key: []byte(key)}
}

// Sign returns the hex signature of the four signed frames.
func (s *Signer) Sign(header, parent, metadata, content []byte) string {
	if len(s.key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, s.key)
	writeAll(mac, header, parent, metadata, content)
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is the right one for the four frames. The
// comparison takes the same time whatever the mismatch, so an attacker cannot
// learn the signature byte by byte.
func (s *Signer) Verify(signature, header, parent, metadata, content []byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.Sign(header, parent, metadata, content)
	return hmac.Equal([]byte(want), signature)
}

func writeAll(h hash.Hash, frames ...[]byte) {
	for _, f := range frames {
		h.Write(f)
	}
}
