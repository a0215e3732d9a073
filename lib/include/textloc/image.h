/* textloc/image.h */
#ifndef TEXTLOC_IMAGE_H
#define TEXTLOC_IMAGE_H

#endif
