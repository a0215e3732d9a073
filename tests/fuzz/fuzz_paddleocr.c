/* fuzz_paddleocr.c — libFuzzer harness of the paddleocr reader (see fuzz_format.h). */
#define FUZZ_FORMAT "paddleocr"
#define FUZZ_PATH "dir/Label.txt"
#include "fuzz_format.h"
