/* fuzz_textloc.c — libFuzzer harness of the textloc reader (see fuzz_format.h). */
#define FUZZ_FORMAT "textloc"
#define FUZZ_PATH "dir/data.jsonl"
#include "fuzz_format.h"
