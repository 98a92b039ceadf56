/**
 * The command line both apps share, on picocli: a flag's environment variable ({@link
 * io.tracetrack.web.cli.Env}, read by {@link io.tracetrack.web.cli.EnvironmentDefaults}), the one
 * way a command line is parsed into either a config to run or a text to print ({@link
 * io.tracetrack.web.cli.Cli}), and the one wording of a usage mistake ({@link
 * io.tracetrack.web.cli.UsageException}, exit 64) and of a bad value ({@link
 * io.tracetrack.web.cli.Flags}). The apps' own flags and what they mean stay in the apps.
 */
package io.tracetrack.web.cli;
