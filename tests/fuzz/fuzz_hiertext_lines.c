/* fuzz_hiertext_lines.c — libFuzzer harness of the hiertext-lines reader (see fuzz_format.h). */
#define FUZZ_FORMAT "hiertext-lines"
#define FUZZ_PATH "validation.jsonl"
#include "fuzz_format.h"
