/* The tlsdiff command's subcommands. Each returns the process exit code:
 * 0 all good, 1 a check failed, 2 a usage or input error. */
#ifndef TD_CLI_H
#define TD_CLI_H

int td_cmd_matrix(int argc, char **argv);
int td_cmd_decode(int argc, char **argv);
int td_cmd_serve(int argc, char **argv);   /* td_cmd_serve.c */
int td_cmd_connect(int argc, char **argv); /* td_cmd_connect.c */
int td_cmd_list(int argc, char **argv);    /* td_cmd_list.c */
int td_cmd_states(int argc, char **argv);  /* td_cmd_states.c */
int td_cmd_bench(int argc, char **argv);   /* td_cmd_bench.c */
int td_cmd_x509(int argc, char **argv);    /* td_cmd_x509.c */
int td_cmd_replay(int argc, char **argv);  /* td_cmd_replay.c */
int td_cmd_edit(int argc, char **argv);    /* td_cmd_edit.c */
int td_cmd_fuzz(int argc, char **argv);    /* td_cmd_fuzz.c */
int td_cmd_explain(int argc, char **argv); /* td_cmd_explain.c */
int td_cmd_conform(int argc, char **argv); /* td_cmd_conform.c */

#endif
