/* textloc/datasets.h */
#ifndef TEXTLOC_DATASETS_H
#define TEXTLOC_DATASETS_H

#endif
