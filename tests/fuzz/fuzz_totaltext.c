/* fuzz_totaltext.c — libFuzzer harness of the totaltext reader (see fuzz_format.h). */
#define FUZZ_FORMAT "totaltext"
#define FUZZ_PATH "img1.jpg.txt"
#include "fuzz_format.h"
