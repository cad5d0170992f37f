export { stripAnsi } from '../../../common/ansi';
