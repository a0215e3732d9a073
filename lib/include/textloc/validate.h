/* textloc/validate.h */
#ifndef TEXTLOC_VALIDATE_H
#define TEXTLOC_VALIDATE_H

#endif
