/**
 * Implementation details of the AILab SDK. <b>Not API</b>: anything here may change or disappear in
 * any release without notice. Use the types of {@code io.github.ailabkit} instead.
 */
package io.github.ailabkit.internal;
