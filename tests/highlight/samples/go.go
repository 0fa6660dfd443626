// Command guests lists the guests of a hypervisor.
package main

import (
	"fmt"
	"os"
	"strings"
)

type Guest struct {
	Name   string `json:"name"`
	Memory uint64
}

const defaultURI = "qemu:///system"

func (g *Guest) String() string {
	return fmt.Sprintf("%s (%d KiB)", g.Name, g.Memory)
}

func main() {
	uri := defaultURI
	if len(os.Args) > 1 {
		uri = os.Args[1]
	}
	guests := []Guest{{"web", 1 << 20}, {Name: "db", Memory: 0x400000}}
	for i, g := range guests {
		if strings.HasPrefix(g.Name, "w") && i >= 0 {
			fmt.Println(uri, g.String(), 'x', 2.5)
		}
	}
	var err error = nil
	/* nothing failed */
	_ = err
}
