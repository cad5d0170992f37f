export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../common/security-headers';
export { isLoopbackAddress } from './access';
export { type RunningServer, type ServerOptions, startServer } from './server';
export type {
  SocketCall,
  SocketCancel,
  SocketEvent,
  SocketReply,
  SocketSubscribe,
} from './socket-protocol';
