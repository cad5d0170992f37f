export { isLoopbackAddress } from './access';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './security-headers';
export { type RunningServer, type ServerOptions, startServer } from './server';
export type { SocketCall, SocketEvent, SocketReply } from './socket-protocol';
