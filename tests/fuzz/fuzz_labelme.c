/* fuzz_labelme.c — libFuzzer harness of the labelme reader (see fuzz_format.h). */
#define FUZZ_FORMAT "labelme"
#define FUZZ_PATH "img_1.json"
#include "fuzz_format.h"
