package pysock

//go:generate sh -c "python3 gen_constants.py > constants_linux.go && gofmt -w constants_linux.go"
