module duban

go 1.26.0
