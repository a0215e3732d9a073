/* fuzz_mmocr.c — libFuzzer harness of the mmocr reader (see fuzz_format.h). */
#define FUZZ_FORMAT "mmocr"
#define FUZZ_PATH "textdet_test.json"
#include "fuzz_format.h"
