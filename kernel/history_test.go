package kernel

import "testing"

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything/with\nnewlines", true},
		{"a*", "abc", true},
		{"a*", "bac", false},
		{"*Println*", "fmt.Println(1)", true},
		{"*println*", "fmt.Println(1)", false}, // case-sensitive, like SQLite GLOB
		{"x?z", "xyz", true},
		{"x?z", "xz", false},
		{"x?z", "xéz", true},
		{"[a-c]1", "b1", true},
		{"[a-c]1", "d1", false},
		{"[^a-c]1", "d1", true},
		{"[^a-c]1", "a1", false},
		{"[]]", "]", true},
		{"a[", "a[", true},
		{"*a*b", "xaxxb", true},
		{"*a*b", "xaxxbc", false},
	}
	for _, c := range cases {
		if got := globMatch(c.pattern, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestHistory(t *testing.T) {
	h := NewHistory()
	h.Add(1, "x := 1", "")
	h.Add(2, "fmt.Println(x)", "")
	h.Add(3, "x + 1", "2")
	h.Add(4, "fmt.Println(x)", "")
	lines := func(es []historyEntry) []int {
		var l []int
		for _, e := range es {
			l = append(l, e.line)
		}
		return l
	}
	eq := func(name string, got, want []int) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s = %v, want %v", name, got, want)
			}
		}
	}
	eq("Tail(2)", lines(h.Tail(2)), []int{3, 4})
	eq("Tail(10)", lines(h.Tail(10)), []int{1, 2, 3, 4})
	eq("Range(2,4)", lines(h.Range(2, 4)), []int{2, 3})
	eq("Range(2,0)", lines(h.Range(2, 0)), []int{2, 3, 4})
	eq("Search(*Println*)", lines(h.Search("*Println*", 0, false)), []int{2, 4})
	eq("Search unique", lines(h.Search("*Println*", 0, true)), []int{4})
	eq("Search n=1", lines(h.Search("*", 1, false)), []int{4})
}
