package report_test

import (
	"fmt"
	"log"
	"os"

	"github.com/wsfuzz/autobahn/report"
)

func ExampleSectionName() {
	fmt.Println(report.SectionName("3.4"))
	fmt.Println(report.SectionName("6.2.3"))
	// Output:
	// Reserved Bits
	// UTF-8 Handling
}

func ExampleCaseFile() {
	fmt.Println(report.CaseFile("my server", "6.2.3", "json"))
	// Output: my_server_case_6_2_3.json
}

// Write writes an Autobahn report directory; ReadIndex reads its index.json
// back: agent, then case id, then the verdicts.
func ExampleReadIndex() {
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	results := []*report.Result{
		{Agent: "myserver", ID: "1.1.1", Case: 1, Behavior: "OK", BehaviorClose: "OK"},
		{Agent: "myserver", ID: "6.3.1", Case: 72, Behavior: "FAILED", BehaviorClose: "FAILED"},
	}
	if err := report.Write(dir, results); err != nil {
		log.Fatal(err)
	}
	index, err := report.ReadIndex(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"1.1.1", "6.3.1"} {
		e := index["myserver"][id]
		fmt.Println(id, e.Behavior, e.BehaviorClose, e.ReportFile)
	}
	// Output:
	// 1.1.1 OK OK myserver_case_1_1_1.json
	// 6.3.1 FAILED FAILED myserver_case_6_3_1.json
}
