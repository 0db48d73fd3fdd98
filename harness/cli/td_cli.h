/* The tlsdiff command's subcommands. Each returns the process exit code:
 * 0 all good, 1 a check failed, 2 a usage or input error. */
#ifndef TD_CLI_H
#define TD_CLI_H

int td_cmd_matrix(int argc, char **argv);
int td_cmd_decode(int argc, char **argv);

#endif
