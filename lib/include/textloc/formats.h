/* textloc/formats.h */
#ifndef TEXTLOC_FORMATS_H
#define TEXTLOC_FORMATS_H

#endif
