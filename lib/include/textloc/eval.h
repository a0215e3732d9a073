/* textloc/eval.h */
#ifndef TEXTLOC_EVAL_H
#define TEXTLOC_EVAL_H

#endif
