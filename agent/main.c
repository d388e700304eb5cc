/* Placeholder main until the agent lands. */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		puts("proctel-agent 0.1.0");
		return 0;
	}
	puts("usage: proctel-agent [--help] [--version]");
	return 0;
}
