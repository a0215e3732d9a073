/* textloc/det.h */
#ifndef TEXTLOC_DET_H
#define TEXTLOC_DET_H

#endif
