/*
 * A minimal agent desktop on the gcclient C ABI: connect, log in, go READY,
 * print every event, answer the first call that rings, hang up, log out.
 *
 *   agent_desktop BROKER QUEUE AGENT PASSWORD EXTENSION
 *   agent_desktop tcp://127.0.0.1:61613 Connector1 1001 secret 5001
 *
 * Events arrive on the library's dispatcher thread; the callback only
 * records what main() needs (the ringing dialog) and main() acts on it.
 */
#include <gcclient.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct desk {
  pthread_mutex_t lock;
  pthread_cond_t ringing;
  char dialog[64];
};

static void on_event(void *userdata, const gc_event *event) {
  struct desk *desk = userdata;
  char json[2048], state[32], dialog[64];
  gc_event_kind kind;

  if (gc_event_to_json(event, json, sizeof json, NULL) == GC_OK)
    printf("event: %s\n", json);
  else
    printf("event: (too large to print)\n");
  fflush(stdout);

  if (gc_event_get_kind(event, &kind) == GC_OK && kind == GC_EVENT_INBOUND_CALL &&
      gc_event_field(event, "state", state, sizeof state, NULL) == GC_OK &&
      strcmp(state, "ALERTING") == 0 &&
      gc_event_field(event, "dialog_id", dialog, sizeof dialog, NULL) == GC_OK) {
    pthread_mutex_lock(&desk->lock);
    snprintf(desk->dialog, sizeof desk->dialog, "%s", dialog);
    pthread_cond_signal(&desk->ringing);
    pthread_mutex_unlock(&desk->lock);
  }
}

static int fail(const char *what, gc_status status) {
  char message[512], name[64];
  gc_last_error(message, sizeof message, NULL);
  gc_status_name(status, name, sizeof name, NULL);
  fprintf(stderr, "%s failed: %s: %s\n", what, name, message);
  return 1;
}

int main(int argc, char **argv) {
  struct desk desk = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, ""};
  gc_config config;
  gc_client *client = NULL;
  gc_agent *agent = NULL;
  gc_event *reply = NULL;
  gc_status st;
  struct timespec deadline;
  char text[256];
  int rc = 0;

  if (argc != 6) {
    fprintf(stderr, "usage: %s BROKER QUEUE AGENT PASSWORD EXTENSION\n", argv[0]);
    return 2;
  }
  memset(&config, 0, sizeof config); /* zero = defaults */
  config.brokers = argv[1];
  config.queue = argv[2];

  if ((st = gc_client_connect(&config, &client)) != GC_OK) return fail("connect", st);
  gc_client_set_callback(client, on_event, &desk);
  if ((st = gc_client_wait_in_service(client, 15000)) != GC_OK) {
    rc = fail("waiting for GC", st);
    goto out;
  }
  gc_client_agent(client, argv[3], &agent);

  if ((st = gc_agent_login(agent, argv[4], argv[5], &reply)) != GC_OK) {
    rc = fail("login", st);
    goto out;
  }
  gc_event_field(reply, "state", text, sizeof text, NULL);
  printf("logged in: %s\n", text);
  gc_event_free(reply);

  if ((st = gc_agent_make_ready(agent, NULL)) != GC_OK) {
    rc = fail("ready", st);
    goto out;
  }
  printf("READY, waiting for a call\n");

  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 30;
  pthread_mutex_lock(&desk.lock);
  while (desk.dialog[0] == '\0')
    if (pthread_cond_timedwait(&desk.ringing, &desk.lock, &deadline) != 0) break;
  snprintf(text, sizeof text, "%s", desk.dialog);
  pthread_mutex_unlock(&desk.lock);
  if (text[0] == '\0') {
    fprintf(stderr, "no call within 30 s\n");
    rc = 1;
    goto out;
  }

  if ((st = gc_agent_answer(agent, text, NULL)) != GC_OK) {
    rc = fail("answer", st);
    goto out;
  }
  printf("answered %s\n", text);
  if ((st = gc_agent_release(agent, text, NULL)) != GC_OK) {
    rc = fail("release", st);
    goto out;
  }
  printf("released %s\n", text);
  if ((st = gc_agent_logout(agent, NULL)) != GC_OK) rc = fail("logout", st);

out:
  gc_agent_free(agent);
  gc_client_free(client); /* closes; no callback runs after this */
  return rc;
}
