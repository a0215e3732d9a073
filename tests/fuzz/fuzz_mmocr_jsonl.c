/* fuzz_mmocr_jsonl.c — libFuzzer harness of the mmocr-jsonl reader (see fuzz_format.h). */
#define FUZZ_FORMAT "mmocr-jsonl"
#define FUZZ_PATH "instances_test.txt"
#include "fuzz_format.h"
