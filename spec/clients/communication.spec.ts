import nock from 'nock';
import { firstValueFrom } from 'rxjs';
import { createCommunicationClient, type NotificationRequest } from '../../src/clients';
import { BASE_URLS, IDS, TOKEN, describeErrorMapping, errorOf, testHttp, useNock } from './helpers';

const communication = () => nock(BASE_URLS.communication);
const bearer = `Bearer ${TOKEN}`;

const receipt = (overrides: Record<string, unknown> = {}) => ({
  notification_id: IDS.notification,
  task_id: 'celery-task-1',
  status: 'queued',
  channel: 'in_app',
  recipient: IDS.user,
  sent_by: IDS.user2,
  organization: IDS.org,
  created_at: '2024-05-01T08:15:30.5',
  ...overrides,
});

const welcome = { type: 'in_app', to: IDS.user, message: 'Welcome aboard' } as const;

describe('communication client', () => {
  useNock();

  describe('createNotification$', () => {
    it('posts the notification with the bearer token and reads created_at as UTC', async () => {
      communication()
        .post('/api/v1/notifications', { type: 'in_app', to: IDS.user, message: 'Welcome aboard' })
        .matchHeader('authorization', bearer)
        .reply(200, receipt());
      const result = await firstValueFrom(createCommunicationClient(testHttp().http).createNotification$(welcome));
      expect(result).toMatchObject({ notification_id: IDS.notification, status: 'queued', recipient: IDS.user });
      expect(result.created_at).toBe('2024-05-01T08:15:30.5Z');
      expect(new Date(result.created_at).toISOString()).toBe('2024-05-01T08:15:30.500Z');
    });

    it('sends subject, template and variables when given, and nothing the Hub does not know', async () => {
      const request = {
        type: 'email',
        to: 'ada@example.com',
        subject: 'Hello',
        message: 'Hi {{name}}',
        template_id: 'welcome',
        variables: { name: 'Ada' },
        internal_note: 'not for the Hub',
      };
      communication()
        .post('/api/v1/notifications', {
          type: 'email',
          to: 'ada@example.com',
          subject: 'Hello',
          message: 'Hi {{name}}',
          template_id: 'welcome',
          variables: { name: 'Ada' },
        })
        .reply(200, receipt({ channel: 'email', recipient: 'ada@example.com' }));
      const result = await firstValueFrom(createCommunicationClient(testHttp().http).createNotification$(request as NotificationRequest));
      expect(result.channel).toBe('email');
    });

    it('gives a validation error naming communication and the endpoint when the receipt does not fit', async () => {
      communication()
        .post('/api/v1/notifications')
        .reply(200, receipt({ notification_id: undefined, created_at: 42 }));
      const error = await errorOf(createCommunicationClient(testHttp().http).createNotification$(welcome));
      expect(error).toMatchObject({ code: 'validation', service: 'communication', endpoint: 'POST /api/v1/notifications' });
      expect(error.message).toContain('communication POST /api/v1/notifications');
      expect(error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['notification_id', 'created_at']));
    });

    it('marks a failed POST as not safe to repeat', async () => {
      communication().post('/api/v1/notifications').reply(500, 'Internal Server Error', { 'Content-Type': 'text/plain' });
      const error = await errorOf(createCommunicationClient(testHttp().http).createNotification$(welcome));
      expect(error).toMatchObject({ code: 'http', status: 500, method: 'POST', idempotent: false });
    });
  });

  describe('createBulkNotifications$', () => {
    it('posts a JSON array and reads the batch receipt', async () => {
      const second = { type: 'email', to: 'grace@example.com', subject: 'Hi', message: 'Hello' } as const;
      communication()
        .post('/api/v1/notifications/bulk', [welcome, second])
        .matchHeader('authorization', bearer)
        .reply(200, { task_id: 'celery-task-2', status: 'queued', notification_count: 2, sent_by: IDS.user2, organization: IDS.org });
      const result = await firstValueFrom(createCommunicationClient(testHttp().http).createBulkNotifications$([welcome, second]));
      expect(result).toEqual({
        task_id: 'celery-task-2',
        status: 'queued',
        notification_count: 2,
        sent_by: IDS.user2,
        organization: IDS.org,
      });
    });

    it.each([
      [404, { detail: 'Not Found' }],
      [405, { detail: 'Method Not Allowed' }],
    ])('is unsupported on %i, so callers can fall back to single posts', async (status, body) => {
      communication().post('/api/v1/notifications/bulk').reply(status, body);
      const error = await errorOf(createCommunicationClient(testHttp().http).createBulkNotifications$([welcome]));
      expect(error).toMatchObject({ code: 'unsupported', status, endpoint: 'POST /api/v1/notifications/bulk' });
    });

    it('keeps a 400 for too many items an http error', async () => {
      communication().post('/api/v1/notifications/bulk').reply(400, { detail: 'Maximum 1000 notifications per bulk request' });
      const error = await errorOf(createCommunicationClient(testHttp().http).createBulkNotifications$([welcome]));
      expect(error).toMatchObject({ code: 'http', status: 400 });
      expect(error.message).toContain('Maximum 1000');
    });
  });

  describe('createConversation$ (extension)', () => {
    it('posts the conversation and reads it back', async () => {
      communication()
        .post('/api/v1/conversations', {
          title: 'Collaboration: MSA',
          type: 'group',
          participant_ids: [IDS.user, IDS.user2],
          metadata: { document_id: IDS.document },
        })
        .matchHeader('authorization', bearer)
        .reply(200, {
          id: IDS.conversation,
          title: 'Collaboration: MSA',
          type: 'group',
          participant_ids: [IDS.user, IDS.user2],
          created_by: IDS.user,
          created_at: '2024-05-01T08:00:00',
        });
      const conversation = await firstValueFrom(
        createCommunicationClient(testHttp().http).createConversation$({
          title: 'Collaboration: MSA',
          type: 'group',
          participant_ids: [IDS.user, IDS.user2],
          metadata: { document_id: IDS.document },
        }),
      );
      expect(conversation).toMatchObject({ id: IDS.conversation, type: 'group', created_at: '2024-05-01T08:00:00Z' });
    });

    it('is unsupported where upstream answers 405', async () => {
      communication().post('/api/v1/conversations').reply(405, { detail: 'Method Not Allowed' });
      const error = await errorOf(
        createCommunicationClient(testHttp().http).createConversation$({ title: 't', type: 'group', participant_ids: [IDS.user] }),
      );
      expect(error).toMatchObject({ code: 'unsupported', status: 405, endpoint: 'POST /api/v1/conversations' });
    });

    it('keeps a 404 that names a missing resource an http error', async () => {
      communication().post('/api/v1/conversations').reply(404, { detail: 'Participant not found' });
      const error = await errorOf(
        createCommunicationClient(testHttp().http).createConversation$({ title: 't', type: 'group', participant_ids: [IDS.user] }),
      );
      expect(error).toMatchObject({ code: 'http', status: 404 });
    });
  });

  it('honours a route override of the path', async () => {
    const scope = communication().post('/notify/v2', welcome).reply(200, receipt());
    const { http } = testHttp({ routes: { communication: { createNotification: '/notify/v2' } } });
    await firstValueFrom(createCommunicationClient(http).createNotification$(welcome));
    expect(scope.isDone()).toBe(true);
  });

  describeErrorMapping({
    service: 'communication',
    endpoint: 'POST /api/v1/notifications',
    intercept: () => communication().post('/api/v1/notifications'),
    call: (http) => createCommunicationClient(http).createNotification$(welcome),
  });
});
