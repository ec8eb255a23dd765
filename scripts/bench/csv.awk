# SPDX-License-Identifier: BSD-3-Clause
# The one place that knows where a column is (loaded by scripts/bench/csv
# before the program): the first line of every file names its columns, and
# col(NAME) is the current line's field under NAME.  Header lines are not
# passed on.  A name no column has is an error: a report that reads the
# wrong column must not print figures.
FNR == 1 {
	split("", CSV_COLUMN)
	for (csv_i = 1; csv_i <= NF; csv_i++) CSV_COLUMN[$csv_i] = csv_i
	next
}
function col(name) {
	if (!(name in CSV_COLUMN)) {
		printf "csv: %s has no column %s\n", FILENAME, name > "/dev/stderr"
		exit 2
	}
	return $CSV_COLUMN[name]
}
