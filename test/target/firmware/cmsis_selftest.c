/* The CMSIS-NN backend on the target itself (M4 DSP, M55 MVE paths): synthetic channels-last
 * calls of every entry — regular, 1x1 (unit and stride 2), 1xN (H = 1, 1x5 kernel, stride 2, SAME
 * pads: the case the MVE 1xN path gets wrong), dilated, grouped and depthwise (multiplier 1 and 2,
 * 3x3 with pads) convs, fully connected per tensor and per channel, Add, Mul, Max/AveragePool,
 * Softmax, and row strips of a conv — each run through the reference kernel and the backend,
 * bytes compared, and the call must have taken the vendor path (tgrs_cmsis_counters). Prints
 * "TIGRIS_TARGET PASS" only if all agree. No heap. */
#include <string.h>

#include "target.h"
#include "tigris/kernels/backend_cmsis_nn.h"
#include "tigris/kernels/tgrs_qparams.h"

#define BUF 8192
static int8_t x_buf[BUF + 4], w_buf[BUF + 4], y_ref[BUF + 4], y_got[BUF + 4], b_in[BUF + 4];
static int32_t bias_buf[512], rq_buf[1024];
static uint32_t scratch[4096];
static uint32_t seed = 12345u;
static int failures, cases;

static int32_t rnd(int32_t lo, int32_t hi) {
  seed = seed * 1664525u + 1013904223u;
  return lo + (int32_t)((seed >> 8) % (uint32_t)(hi - lo + 1));
}

static void fill8(int8_t* p, int32_t n, int32_t lo, int32_t hi) {
  int32_t i;
  for (i = 0; i < n; ++i) p[i] = (int8_t)rnd(lo, hi);
}

/* [N, C, H, W] with NHWC strides (rank 3 [N, C, W]: [W*C, 1, C]). */
static tgrs_tensor_t nhwc(void* data, int32_t rank, int32_t n, int32_t c, int32_t h, int32_t w) {
  tgrs_tensor_t t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.dtype = TGRS_DTYPE_I8;
  t.rank = rank;
  t.dims[0] = n;
  t.dims[1] = c;
  if (rank == 4) {
    t.dims[2] = h;
    t.dims[3] = w;
    t.strides[0] = h * w * c;
    t.strides[1] = 1;
    t.strides[2] = w * c;
    t.strides[3] = c;
  } else {
    t.dims[2] = w;
    t.strides[0] = w * c;
    t.strides[1] = 1;
    t.strides[2] = c;
  }
  return t;
}

static tgrs_tensor_t i32(void* data, int32_t rank, int32_t d0, int32_t d1, int32_t s0, int32_t s1) {
  tgrs_tensor_t t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.dtype = TGRS_DTYPE_I32;
  t.rank = rank;
  t.dims[0] = d0;
  t.strides[0] = s0;
  if (rank == 2) {
    t.dims[1] = d1;
    t.strides[1] = s1;
  }
  return t;
}

static void requant(int32_t c) {
  int32_t i;
  for (i = 0; i < c; ++i) {
    rq_buf[i] = rnd(1 << 30, 0x7fffffff);
    rq_buf[c + i] = rnd(-11, -4);
  }
}

static void fail(const char* what) {
  ++failures;
  tgt_puts("FAIL ");
  tgt_puts(what);
  tgt_puts("\n");
}

/* Runs `call` (output view over y_ref) through both and compares `bytes` output bytes. */
static void compare(const char* what, uint32_t kind, void (*ref)(const tgrs_kernel_call_t*),
                    void (*mine)(const tgrs_kernel_call_t*), tgrs_kernel_call_t* call, tgrs_tensor_t* out,
                    int8_t* got, int32_t bytes) {
  const uint32_t need = tgrs_cmsis_scratch(kind, call, tgrs_cmsis_isa());
  uint32_t before;
  uint64_t t0, t1, t2, t3;
  const char* why = tgrs_cmsis_rejects(kind, call, tgrs_cmsis_isa(), 1);
  ++cases;
  if (why != NULL || need > sizeof scratch) {
    fail(what);
    if (why) tgt_puts(why);
    tgt_puts("\n");
    return;
  }
  memset(y_ref, 0x5a, sizeof y_ref);
  memset(y_got, 0x5a, sizeof y_got);
  t0 = tgt_ticks();
  ref(call);
  t1 = tgt_ticks();
  out->data = got;
  call->scratch = need ? scratch : NULL;
  call->scratch_size = need;
  before = tgrs_cmsis_counters.vendor;
  t2 = tgt_ticks();
  mine(call);
  t3 = tgt_ticks();
  /* SysTick ticks of each (x 40 / 31.25 instructions on an386 / an547 under -icount shift=0) */
  tgt_puts("ticks ref 0x");
  tgt_put_hex((uint32_t)(t1 - t0), 8);
  tgt_puts(" cmsis 0x");
  tgt_put_hex((uint32_t)(t3 - t2), 8);
  tgt_puts(" ");
  tgt_puts(what);
  tgt_puts("\n");
  if (tgrs_cmsis_counters.vendor != before + 1) fail(what);
  if (memcmp(y_ref, y_got, sizeof y_ref) != 0) fail(what);
  (void)bytes;
}

static void conv_case(const char* what, int32_t rank, int32_t cin, int32_t h, int32_t w, int32_t m, int32_t group,
                      int32_t kh, int32_t kw, int32_t s, int32_t d, int32_t pt, int32_t pl, int32_t pb, int32_t pr) {
  tgrs_conv_s8_params_t p;
  tgrs_tensor_t in[4], out;
  tgrs_kernel_call_t call;
  const int32_t ck = cin / group, dw = group == cin && cin > 1;
  const int32_t ekh = (kh - 1) * d + 1, ekw = (kw - 1) * d + 1;
  const int32_t oh = rank == 4 ? (h + pt + pb - ekh) / s + 1 : 1, ow = (w + pl + pr - ekw) / s + 1;
  memset(&p, 0, sizeof p);
  p.kernel_h = kh;
  p.kernel_w = kw;
  p.stride_h = rank == 4 ? s : 1;
  p.stride_w = s;
  p.dilation_h = rank == 4 ? d : 1;
  p.dilation_w = d;
  p.pad_top = pt;
  p.pad_left = pl;
  p.pad_bottom = pb;
  p.pad_right = pr;
  p.group = group;
  p.input_zp = rnd(-128, 127);
  p.output_zp = rnd(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  fill8(x_buf + 1, cin * h * w, -128, 127);
  fill8(w_buf, m * ck * kh * kw, -127, 127);
  {
    int32_t i;
    for (i = 0; i < m; ++i) bias_buf[i] = rnd(-20000, 20000);
  }
  requant(m);
  in[0] = nhwc(x_buf + 1, rank, 1, cin, h, w); /* misaligned on purpose */
  memset(&in[1], 0, sizeof in[1]);
  in[1].data = w_buf;
  in[1].dtype = TGRS_DTYPE_I8;
  in[1].rank = rank;
  in[1].dims[0] = m;
  in[1].dims[1] = ck;
  in[1].dims[2] = rank == 4 ? kh : kw;
  if (rank == 4) in[1].dims[3] = kw;
  if (dw) { /* [KH][KW][M] */
    in[1].strides[0] = 1;
    in[1].strides[1] = 0;
    in[1].strides[2] = rank == 4 ? kw * m : m;
    if (rank == 4) in[1].strides[3] = m;
  } else { /* OHWI */
    in[1].strides[0] = kh * kw * ck;
    in[1].strides[1] = 1;
    in[1].strides[2] = rank == 4 ? kw * ck : ck;
    if (rank == 4) in[1].strides[3] = ck;
  }
  in[2] = i32(bias_buf, 1, m, 0, 1, 0);
  in[3] = i32(rq_buf, 2, m, 2, 1, m);
  out = nhwc(y_ref + 3, rank, 1, m, oh, ow);
  memset(&call, 0, sizeof call);
  call.inputs = in;
  call.n_inputs = 4;
  call.outputs = &out;
  call.n_outputs = 1;
  call.params = &p;
  call.params_size = sizeof p;
  if (tgrs_ref_Conv_s8_check(&call) != TGRS_OK) {
    fail(what);
    return;
  }
  compare(what, TGRS_OP_Conv, tgrs_ref_Conv_s8_run, tgrs_cmsis_Conv_s8_run, &call, &out, y_got + 3, m * oh * ow);
}

static void fc_case(const char* what, int32_t rows, int32_t k, int32_t n, int per_channel) {
  tgrs_gemm_s8_params_t p;
  tgrs_tensor_t in[4], out;
  tgrs_kernel_call_t call;
  int32_t i;
  p.trans_a = 0;
  p.trans_b = 1;
  p.a_zp = rnd(-128, 127);
  p.output_zp = rnd(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  fill8(x_buf + 2, rows * k, -128, 127);
  fill8(w_buf + 1, n * k, -127, 127);
  for (i = 0; i < n; ++i) bias_buf[i] = rnd(-20000, 20000);
  requant(per_channel ? n : 1);
  memset(in, 0, sizeof in);
  in[0].data = x_buf + 2;
  in[0].dtype = TGRS_DTYPE_I8;
  in[0].rank = 2;
  in[0].dims[0] = rows;
  in[0].dims[1] = k;
  in[0].strides[0] = k;
  in[0].strides[1] = 1;
  in[1] = in[0];
  in[1].data = w_buf + 1;
  in[1].dims[0] = n;
  in[2] = i32(bias_buf, 1, n, 0, 1, 0);
  in[3] = per_channel ? i32(rq_buf, 2, n, 2, 1, n) : i32(rq_buf, 2, 1, 2, 2, 1);
  out = in[0];
  out.data = y_ref + 1;
  out.dims[1] = n;
  out.strides[0] = n;
  memset(&call, 0, sizeof call);
  call.inputs = in;
  call.n_inputs = 4;
  call.outputs = &out;
  call.n_outputs = 1;
  call.params = &p;
  call.params_size = sizeof p;
  if (tgrs_ref_Gemm_s8_check(&call) != TGRS_OK) {
    fail(what);
    return;
  }
  compare(what, TGRS_OP_Gemm, tgrs_ref_Gemm_s8_run, tgrs_cmsis_Gemm_s8_run, &call, &out, y_got + 1, rows * n);
}

static void pool_case(const char* what, int average, int32_t c, int32_t h, int32_t w, int32_t k, int32_t s, int32_t pad) {
  tgrs_pool_s8_params_t p;
  tgrs_tensor_t in, out;
  tgrs_kernel_call_t call;
  const int32_t oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1;
  memset(&p, 0, sizeof p);
  p.kernel_h = p.kernel_w = k;
  p.stride_h = p.stride_w = s;
  p.dilation_h = p.dilation_w = 1;
  p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
  p.input_zp = rnd(-128, 127);
  p.act_min = -128;
  p.act_max = 127;
  fill8(x_buf + 3, c * h * w, -128, 127);
  in = nhwc(x_buf + 3, 4, 1, c, h, w);
  out = nhwc(y_ref, 4, 1, c, oh, ow);
  memset(&call, 0, sizeof call);
  call.inputs = &in;
  call.n_inputs = 1;
  call.outputs = &out;
  call.n_outputs = 1;
  call.params = &p;
  call.params_size = sizeof p;
  if (average)
    compare(what, TGRS_OP_AveragePool, tgrs_ref_AveragePool_s8_run, tgrs_cmsis_AveragePool_s8_run, &call, &out, y_got,
            c * oh * ow);
  else
    compare(what, TGRS_OP_MaxPool, tgrs_ref_MaxPool_s8_run, tgrs_cmsis_MaxPool_s8_run, &call, &out, y_got, c * oh * ow);
}

static void eltwise_case(const char* what, int mul) {
  tgrs_add_s8_params_t ap;
  tgrs_mul_s8_params_t mp;
  tgrs_tensor_t in[2], out;
  tgrs_kernel_call_t call;
  const int32_t c = 24, h = 5, w = 7;
  fill8(x_buf + 1, c * h * w, -128, 127);
  fill8(b_in + 2, c * h * w, -128, 127);
  in[0] = nhwc(x_buf + 1, 4, 1, c, h, w);
  in[1] = nhwc(b_in + 2, 4, 1, c, h, w);
  out = nhwc(y_ref + 1, 4, 1, c, h, w);
  memset(&call, 0, sizeof call);
  call.inputs = in;
  call.n_inputs = 2;
  call.outputs = &out;
  call.n_outputs = 1;
  /* params as quant_math's QuantizeAdd / QuantizeMul write them for scales 0.05, 0.03 -> 0.07 */
  ap.a_zp = 3;
  ap.b_zp = -7;
  ap.output_zp = -2;
  ap.left_shift = 20;
  ap.a_mult = 1073741824;
  ap.a_shift = 0;
  ap.b_mult = 1288490189;
  ap.b_shift = -1;
  ap.output_mult = 1533916891;
  ap.output_shift = -19;
  ap.act_min = -128;
  ap.act_max = 127;
  mp.a_zp = 3;
  mp.b_zp = -7;
  mp.output_zp = -2;
  mp.output_mult = 1840700270;
  mp.output_shift = -5;
  mp.act_min = -100;
  mp.act_max = 120;
  call.params = mul ? (const void*)&mp : (const void*)&ap;
  call.params_size = mul ? sizeof mp : sizeof ap;
  if (mul)
    compare(what, TGRS_OP_Mul, tgrs_ref_Mul_s8_run, tgrs_cmsis_Mul_s8_run, &call, &out, y_got + 1, c * h * w);
  else
    compare(what, TGRS_OP_Add, tgrs_ref_Add_s8_run, tgrs_cmsis_Add_s8_run, &call, &out, y_got + 1, c * h * w);
}

static void softmax_case(void) {
  tgrs_softmax_s8_params_t p;
  tgrs_tensor_t in, out;
  tgrs_kernel_call_t call;
  p.axis = 1;
  p.input_mult = 1717986918; /* QuantizeSoftmax(1.0, 0.1) */
  p.input_left_shift = 23;
  p.diff_min = -248;
  fill8(x_buf, 3 * 12, -128, 127);
  memset(&in, 0, sizeof in);
  in.data = x_buf;
  in.dtype = TGRS_DTYPE_I8;
  in.rank = 2;
  in.dims[0] = 3;
  in.dims[1] = 12;
  in.strides[0] = 12;
  in.strides[1] = 1;
  out = in;
  out.data = y_ref;
  memset(&call, 0, sizeof call);
  call.inputs = &in;
  call.n_inputs = 1;
  call.outputs = &out;
  call.n_outputs = 1;
  call.params = &p;
  call.params_size = sizeof p;
  compare("softmax", TGRS_OP_Softmax, tgrs_ref_Softmax_s8_run, tgrs_cmsis_Softmax_s8_run, &call, &out, y_got, 36);
}

int main(void) {
  /*        what                       rank cin  h   w   m  group kh kw s  d  pt pl pb pr */
  conv_case("conv 3x3 same", 4, 8, 9, 9, 16, 1, 3, 3, 1, 1, 1, 1, 1, 1);
  conv_case("conv 3x3 s2", 4, 3, 11, 10, 8, 1, 3, 3, 2, 1, 0, 1, 1, 1);
  conv_case("conv 10x4 ds-cnn", 4, 1, 20, 10, 16, 1, 10, 4, 2, 1, 4, 1, 5, 1);
  conv_case("conv 1x1", 4, 32, 6, 6, 24, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  conv_case("conv 1x1 s2", 4, 16, 7, 7, 8, 1, 1, 1, 2, 1, 0, 0, 0, 0);
  conv_case("conv 1x5 s2 same h1", 4, 8, 1, 17, 12, 1, 1, 5, 2, 1, 0, 1, 0, 2);
  conv_case("conv 1x5 s1 valid h1", 4, 8, 1, 17, 12, 1, 1, 5, 1, 1, 0, 0, 0, 0);
  conv_case("conv1d k3", 3, 6, 1, 19, 10, 1, 1, 3, 1, 1, 0, 1, 0, 1);
  conv_case("conv dilated", 4, 5, 9, 9, 7, 1, 3, 3, 1, 2, 2, 2, 2, 2);
  conv_case("conv grouped", 4, 8, 6, 6, 12, 2, 3, 3, 1, 1, 1, 1, 1, 1);
  conv_case("dw 3x3", 4, 16, 8, 8, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1);
  conv_case("dw 3x3 s2", 4, 24, 9, 9, 24, 24, 3, 3, 2, 1, 0, 0, 1, 1);
  conv_case("dw 3x3 pad right 2", 4, 8, 5, 5, 8, 8, 3, 3, 1, 1, 1, 1, 1, 2);
  conv_case("dw 5x5", 4, 12, 9, 9, 12, 12, 5, 5, 1, 1, 2, 2, 2, 2);
  conv_case("dw mult 2", 4, 6, 7, 7, 12, 6, 3, 3, 1, 1, 1, 1, 1, 1);
  /* row strips of one conv: first (pad top), middle, last (pad bottom) as the tiler passes them */
  conv_case("strip first", 4, 8, 4, 9, 16, 1, 3, 3, 1, 1, 1, 1, 0, 1);
  conv_case("strip middle", 4, 8, 5, 9, 16, 1, 3, 3, 1, 1, 0, 1, 0, 1);
  conv_case("strip last", 4, 8, 4, 9, 16, 1, 3, 3, 1, 1, 0, 1, 1, 1);
  conv_case("dw strip last", 4, 16, 3, 8, 16, 16, 3, 3, 1, 1, 0, 1, 1, 1);
  /* DS-CNN's layer shapes (49x10 MFCC input, 64 channels) */
  conv_case("dscnn conv 10x4 s2", 4, 1, 49, 10, 64, 1, 10, 4, 2, 1, 4, 1, 5, 1);
  conv_case("dscnn dw 3x3", 4, 64, 25, 5, 64, 64, 3, 3, 1, 1, 1, 1, 1, 1);
  conv_case("dscnn pw 1x1", 4, 64, 25, 5, 64, 1, 1, 1, 1, 1, 0, 0, 0, 0);
  fc_case("dscnn fc", 1, 64, 12, 0);
  fc_case("fc per tensor", 1, 64, 12, 0);
  fc_case("fc per channel", 2, 100, 33, 1);
  fc_case("fc odd", 1, 7, 5, 1);
  pool_case("maxpool 2x2", 0, 16, 8, 8, 2, 2, 0);
  pool_case("maxpool 3x3 pad", 0, 10, 9, 9, 3, 2, 1);
  pool_case("avgpool 2x2", 1, 16, 8, 8, 2, 2, 0);
  pool_case("avgpool 3x3 pad", 1, 12, 7, 7, 3, 1, 1);
  eltwise_case("add", 0);
  eltwise_case("mul", 1);
  softmax_case();
  tgt_puts("cases 0x");
  tgt_put_hex((uint32_t)cases, 8);
  tgt_puts(" failures 0x");
  tgt_put_hex((uint32_t)failures, 8);
  tgt_puts(" isa ");
  tgt_puts(tgrs_isa_name(tgrs_cmsis_isa()));
  tgt_puts("\n");
  if (failures == 0) tgt_puts("TIGRIS_TARGET PASS\n");
  tgt_exit(failures == 0 ? 0 : 1);
  return 0;
}
