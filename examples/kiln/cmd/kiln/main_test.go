package main

import "testing"

func TestDescribe(t *testing.T) {
	if got := Describe(); got != "kiln version 0.1.0" {
		t.Fatalf("Describe() = %q", got)
	}
}
