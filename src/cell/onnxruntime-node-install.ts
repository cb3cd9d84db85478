/**
 * onnxruntime-node's install script, by version: from 1.17.3 it downloads the CUDA execution
 * provider (from api.nuget.org) on linux/x64 unless told to skip it; the CPU binaries every cell
 * uses are in the package. What skips it changed twice:
 * - 1.17.3 reads only the npm flag `--onnxruntime-node-install-cuda=skip`
 *   (npm_config_onnxruntime_node_install_cuda);
 * - 1.18.0–1.21.x also read ONNXRUNTIME_NODE_INSTALL_CUDA=skip;
 * - 1.22.0 and later have a new installer (script/install-utils.js parseInstallFlag) that reads
 *   ONNXRUNTIME_NODE_INSTALL=skip or `--onnxruntime-node-install=skip` first, and the CUDA forms
 *   above only as a deprecated fallback.
 * Before 1.17.3 the script downloads nothing on Linux.
 */
import semver from 'semver';

const PACKAGE = 'onnxruntime-node';

/** Pure: the setting that makes this package's install script download nothing, or undefined when it is not onnxruntime-node 1.17.3+. */
export function installSkipFor(name: string, version: string | undefined): string | undefined {
  if (name !== PACKAGE || !version || !semver.valid(version) || semver.lt(version, '1.17.3')) return undefined;
  if (semver.gte(version, '1.22.0')) return `ONNXRUNTIME_NODE_INSTALL: skip in install.env skips its CUDA download (${PACKAGE} ≥ 1.22)`;
  if (semver.gte(version, '1.18.0')) return `ONNXRUNTIME_NODE_INSTALL_CUDA: skip in install.env skips its CUDA download (${PACKAGE} 1.18–1.21)`;
  return `--onnxruntime-node-install-cuda=skip in install.npm-flags skips its CUDA download (${PACKAGE} 1.17.3 reads only that flag)`;
}
