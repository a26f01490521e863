// Command kiln prints its version.
package main

import "fmt"

// Version is set at release time.
var Version = "0.1.0"

func main() {
	fmt.Println(Describe())
}

// Describe is the line `kiln` prints.
func Describe() string {
	return "kiln version " + Version
}
