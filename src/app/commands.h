/* commands.h — the subcommands main() dispatches to. Each takes argv with
 * argv[0] = the subcommand's name and returns the process exit status. */
#ifndef TICKETED_APP_COMMANDS_H
#define TICKETED_APP_COMMANDS_H

int cmd_diff(int argc, char **argv);   /* ticketed diff  (cmd_diff.c) */
int cmd_apply(int argc, char **argv);  /* ticketed apply (cmd_diff.c) */
int cmd_get(int argc, char **argv);    /* ticketed get   (cmd_get.c) */
int cmd_drafts(int argc, char **argv); /* ticketed drafts (cmd_drafts.c) */
int cmd_list(int argc, char **argv);   /* ticketed list: find tickets (cmd_list.c) */
int cmd_recent(int argc, char **argv); /* ticketed recent: the tickets opened lately (cmd_list.c) */
int cmd_keys(int argc, char **argv);   /* ticketed keys: the key bindings (action.c) */
int cmd_manual(int argc, char **argv); /* ticketed help-roff keys|replay (cmd_manual.c) */
int cmd_edit(int argc, char **argv);   /* ticketed [OPTIONS] [ID...], the editor (editor.c) */

#endif
