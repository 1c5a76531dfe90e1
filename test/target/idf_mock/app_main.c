/* The application side of the mock ESP-IDF build: loads a plan (here: no plan, which the loader
 * refuses) through the ESP-NN backend table, so linking pulls the runtime, the backend and the
 * kernels it falls back to. Prints one line; exit 0 when the loader answered as documented. */
#include <stdio.h>

#include "tigris/kernels/backend_esp_nn.h"
#include "tigris/runtime/tigris_runtime.h"

int main(void) {
  tgrs_plan_t plan;
  const tgrs_status_t st = tgrs_plan_load_with(&plan, NULL, 0, &tgrs_backend_esp_nn);
  printf("idf_mock: tgrs_plan_load_with(NULL) = %d via backend %s\n", (int)st, tgrs_backend_esp_nn.name);
  return st == TGRS_ERR_BAD_ARG ? 0 : 1;
}
