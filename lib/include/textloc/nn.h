/* textloc/nn.h */
#ifndef TEXTLOC_NN_H
#define TEXTLOC_NN_H

#endif
