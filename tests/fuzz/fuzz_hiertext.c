/* fuzz_hiertext.c — libFuzzer harness of the hiertext reader (see fuzz_format.h). */
#define FUZZ_FORMAT "hiertext"
#define FUZZ_PATH "validation.jsonl"
#include "fuzz_format.h"
