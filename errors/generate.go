package pyerr

//go:generate sh -c "python3 gen_tables.py | gofmt > tables_linux.go"
