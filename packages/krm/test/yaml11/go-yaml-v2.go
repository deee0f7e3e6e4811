//go:build ignore

// Writes go-yaml-v2.tsv: how go-yaml v2 (gopkg.in/yaml.v2 2.4.0, the reader behind
// sigs.k8s.io/yaml, so behind kubectl, Argo CD and Config Sync) reads each plain scalar of a
// fixed corpus, decoded into interface{} as sigs.k8s.io/yaml's YAMLToJSON does. yaml11.test.ts
// holds packages/krm/src/yaml11.ts to this table. Not run by the tests (they need no Go); to
// regenerate, on Debian:
//
//	apt-get install golang-go golang-gopkg-yaml.v2-dev
//	GO111MODULE=off GOPATH=/usr/share/gocode go run packages/krm/test/yaml11/go-yaml-v2.go > packages/krm/test/yaml11/go-yaml-v2.tsv
//
// One line per scalar: the text, then `int`, `float`, `bool`, `null`, `str` or `error`, then the
// value (ints in decimal, floats as strconv 'g' -1, bools as true/false), tab-separated.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v2"
)

func corpus() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] && !strings.ContainsAny(s, "\t\n") {
			seen[s] = true
			out = append(out, s)
		}
	}
	// Every string of 1 to 3 characters over the characters numbers are made of.
	alpha := []string{"0", "1", "7", "8", "_", ".", "-", "+", "e", "E", "x", "X", "o", "O", "b", "B", "F"}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		if n == 0 {
			return
		}
		for _, c := range alpha {
			add(prefix + c)
			grow(prefix+c, n-1)
		}
	}
	grow("", 3)
	// Words: YAML 1.1's booleans and nulls, YAML 1.2's, and near misses.
	for _, w := range strings.Fields(`y Y yes Yes YES yEs n N no No NO nO true True TRUE tRUE false False FALSE
		on On ON oN off Off OFF oFF null Null NULL nULL ~ .nan .NaN .NAN .Nan .inf .Inf .INF +.inf +.Inf +.INF
		-.inf -.Inf -.INF .infinity inf Inf NaN nan infinity +inf -Infinity yes! yess ye o O t T f F << = <`) {
		add(w)
	}
	// Numbers at the edges of int64, uint64 and float64, in every base, signed and not.
	for _, s := range strings.Fields(`9223372036854775807 9223372036854775808 -9223372036854775808
		-9223372036854775809 18446744073709551615 18446744073709551616 99999999999999999999
		0x7fffffffffffffff 0x8000000000000000 0xffffffffffffffff 0x10000000000000000 -0x8000000000000000
		-0x8000000000000001 0777777777777777777777 01777777777777777777777 02000000000000000000000
		0o777777777777777777777 0o1777777777777777777777 0b111111111111111111111111111111111111111111111111111111111111111
		0b1111111111111111111111111111111111111111111111111111111111111111
		0b11111111111111111111111111111111111111111111111111111111111111111 -0b1000000000000000000000000000000000000000000000000000000000000000
		1e308 1.7976931348623157e308 1.7976931348623158e308 1.7976931348623159e308 2e308 1e309 -1e309 1e-400 .5e400
		.5e-400 1e+308 1_0 1__0 _10 10_ 1_000 1_000.5 1_0e1_0 .5_0 ._5 .5_ .5e1_0 .5e_1 +_1 -_1 +._5 0x_1F
		0X1F 0x1f 0x1F_FF +0x1F -0x1F 0O17 0o17 +0o17 -0o17 0B11 0b11 +0b11 -0b11 0b-1 0b+1 -0b-1 -0b+1 0b 0x
		0o 0b_1 0_7 0_10 024 065001 -024 +024 08 09 0189 00 000 0 -0 +0 0.5 00.5 .5 +.5 -.5 1. 1.e5 1e5 1E5 1e+5
		1e-5 1.5e 1.5e+ e5 .e5 1:20 190:20:30 1:20.5 12:30:00 -1:20 2001-12-14 2001-12-14t21:59:43.10-05:00
		2001-12-14 21:59:43.10 2001-12-14T21:59:43Z 2001-1-2 20_01-12-14 1.30.0 10.0.0.1 10.0.0.0/16
		fd00::/112 2001:db8::1 0.0.0.0 1/2 1,000 1' 0xG 0x1p3 0x1.8p1 1_ 1e 1e1e1 0e0 0e999999 1e0400 00e400
		123456789012345678901234567890 0.1 0.30000000000000004 1e23 8.98846567431158e307 123e-2 1E-2`) {
		add(s)
	}
	// Random longer ones.
	r := rand.New(rand.NewSource(11))
	long := []string{"0", "1", "2", "5", "7", "8", "9", "a", "f", "_", ".", "-", "+", "e", "E", "x", "X", "o", "b"}
	for i := 0; i < 3000; i++ {
		n := 2 + r.Intn(22)
		var b strings.Builder
		if r.Intn(3) == 0 {
			b.WriteString([]string{"+", "-", "0x", "0o", "0b", "0X", "0O", "0B", "0", "."}[r.Intn(10)])
		}
		for j := 0; j < n; j++ {
			if r.Intn(3) == 0 {
				b.WriteString(long[r.Intn(len(long))])
			} else {
				b.WriteString(strconv.Itoa(r.Intn(10)))
			}
		}
		add(b.String())
	}
	return out
}

func main() {
	w := os.Stdout
	for _, s := range corpus() {
		var doc map[interface{}]interface{}
		if err := yaml.Unmarshal([]byte("v: "+s+"\n"), &doc); err != nil {
			fmt.Fprintf(w, "%s\terror\t\n", s)
			continue
		}
		v, ok := doc["v"]
		if !ok {
			fmt.Fprintf(w, "%s\terror\t\n", s)
			continue
		}
		switch x := v.(type) {
		case nil:
			fmt.Fprintf(w, "%s\tnull\t\n", s)
		case bool:
			fmt.Fprintf(w, "%s\tbool\t%t\n", s, x)
		case int:
			fmt.Fprintf(w, "%s\tint\t%d\n", s, x)
		case int64:
			fmt.Fprintf(w, "%s\tint\t%d\n", s, x)
		case uint64:
			fmt.Fprintf(w, "%s\tint\t%d\n", s, x)
		case float64:
			fmt.Fprintf(w, "%s\tfloat\t%s\n", s, strconv.FormatFloat(x, 'g', -1, 64))
		case string:
			fmt.Fprintf(w, "%s\tstr\t\n", s)
		default:
			fmt.Fprintf(w, "%s\t%T\t%v\n", s, x, x)
		}
	}
}
