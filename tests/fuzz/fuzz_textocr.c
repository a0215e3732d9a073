/* fuzz_textocr.c — libFuzzer harness of the textocr reader (see fuzz_format.h). */
#define FUZZ_FORMAT "textocr"
#define FUZZ_PATH "TextOCR_0.1_val.json"
#include "fuzz_format.h"
