/* fuzz_ctw1500_xml.c — libFuzzer harness of the ctw1500-xml reader (see fuzz_format.h). */
#define FUZZ_FORMAT "ctw1500-xml"
#define FUZZ_PATH "0042.xml"
#include "fuzz_format.h"
