/* fuzz_msra_td500.c — libFuzzer harness of the msra-td500 reader (see fuzz_format.h). */
#define FUZZ_FORMAT "msra-td500"
#define FUZZ_PATH "IMG_0059.gt"
#include "fuzz_format.h"
