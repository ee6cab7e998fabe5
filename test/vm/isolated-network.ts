/** Jest setup of the VM suite: the default guest network is isolated (`restrict=on`, the loopback
 *  forwards only), for the VMs the tests boot in-process and, through runCli, in the CLI. */
process.env.AMIBAKE_VM_NETWORK = 'isolated';
