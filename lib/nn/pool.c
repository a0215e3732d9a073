/* pool.c — a small fixed thread pool for the engine's data-parallel loops.
 *
 * nn_pool_run hands out task numbers from a shared counter; the calling thread works too.
 * Which thread runs which task varies from run to run, so kernels write disjoint outputs
 * and never reduce across tasks: results do not depend on the number of threads. */
#include "tl_internal.h"
#include "nn_internal.h"

#include <pthread.h>
#include <stdatomic.h>

struct nn_pool {
	int n;                    /* threads including the caller */
	pthread_t *th;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long gen;        /* bumped for each batch of work */
	int quit;
	int busy;                 /* workers still inside the current batch */
	nn_task_fn fn;
	void *ctx;
	int ntasks;
	atomic_int next;
};

typedef struct worker_arg {
	nn_pool *p;
	int id;
} worker_arg;

static void drain(nn_pool *p, int id)
{
	for (;;) {
		int t = atomic_fetch_add(&p->next, 1);
		if (t >= p->ntasks)
			break;
		p->fn(p->ctx, t, id);
	}
}

static void *worker(void *arg)
{
	worker_arg *wa = arg;
	nn_pool *p = wa->p;
	int id = wa->id;
	free(wa);
	unsigned long seen = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		pthread_mutex_unlock(&p->mu);
		drain(p, id);
		pthread_mutex_lock(&p->mu);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

nn_pool *nn_pool_new(int nthreads)
{
	nn_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->n = nthreads < 1 ? 1 : nthreads;
	p->th = calloc((size_t)p->n, sizeof *p->th);
	if (!p->th) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	atomic_init(&p->next, 0);
	for (int i = 1; i < p->n; i++) {
		worker_arg *wa = malloc(sizeof *wa);
		if (wa) {
			wa->p = p;
			wa->id = i;
		}
		if (!wa || pthread_create(&p->th[i], NULL, worker, wa) != 0) {
			free(wa);
			p->n = i;     /* the threads started so far are joined by free */
			nn_pool_free(p);
			return NULL;
		}
	}
	return p;
}

void nn_pool_free(nn_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (int i = 1; i < p->n; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p->th);
	free(p);
}

int nn_pool_threads(const nn_pool *p)
{
	return p ? p->n : 1;
}

void nn_pool_run(nn_pool *p, int ntasks, nn_task_fn fn, void *ctx)
{
	if (!p || p->n == 1 || ntasks <= 1) {
		for (int t = 0; t < ntasks; t++)
			fn(ctx, t, 0);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->ctx = ctx;
	p->ntasks = ntasks;
	atomic_store(&p->next, 0);
	p->busy = p->n - 1;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	drain(p, 0);
	pthread_mutex_lock(&p->mu);
	while (p->busy > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}
