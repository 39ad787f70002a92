/** JMH benchmarks of wsflux's hot paths and the end-to-end load benchmark (not published). */
package dev.wsflux.benchmarks;
