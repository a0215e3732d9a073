/* fuzz_hiertext_paragraphs.c — libFuzzer harness of the hiertext-paragraphs reader (see fuzz_format.h). */
#define FUZZ_FORMAT "hiertext-paragraphs"
#define FUZZ_PATH "validation.jsonl"
#include "fuzz_format.h"
