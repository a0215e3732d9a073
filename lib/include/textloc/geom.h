/* textloc/geom.h */
#ifndef TEXTLOC_GEOM_H
#define TEXTLOC_GEOM_H

#endif
