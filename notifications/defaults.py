"""Wording shipped with the code: {event: {language: (subject, body)}}.

Administrators change it on the portal's template page (a MessageTemplate row wins over
these). Django template syntax; every template gets `recipient_name` and `site_url` too.
"""

from .events import Event

E = Event

DEFAULT_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    E.APPLICATION_SUBMITTED: {
        "zh-hans": (
            "报名已提交：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的报名已于{{ submitted_at }}提交，请等待资格审核。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Application submitted: {{ position_name }}",
            "Dear {{ recipient_name }}, your application for {{ position_name }} ({{ announcement_title }}) was submitted at {{ submitted_at }} and awaits review.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.APPLICATION_RETURNED: {
        "zh-hans": (
            "报名被退回修改：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的报名被退回，请按以下要求修改后重新提交：{{ fix_instructions }}。{% if deadline %}截止时间：{{ deadline }}。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Application returned for correction: {{ position_name }}",
            "Dear {{ recipient_name }}, your application for {{ position_name }} ({{ announcement_title }}) was returned. Please correct it and submit again: {{ fix_instructions }}.{% if deadline %} Deadline: {{ deadline }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.APPLICATION_APPROVED: {
        "zh-hans": (
            "资格审核通过：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的报名已通过资格审核，请留意准考证打印通知。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Application approved: {{ position_name }}",
            "Dear {{ recipient_name }}, your application for {{ position_name }} ({{ announcement_title }}) passed the eligibility review. Watch for the admission ticket notice.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.APPLICATION_REJECTED: {
        "zh-hans": (
            "资格审核未通过：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的报名未通过资格审核，原因：{{ reason }}。{% if deadline %}您可在{{ deadline }}前改报其他岗位。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Application not approved: {{ position_name }}",
            "Dear {{ recipient_name }}, your application for {{ position_name }} ({{ announcement_title }}) did not pass the eligibility review. Reason: {{ reason }}.{% if deadline %} You may apply for another position until {{ deadline }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.POSITION_REDUCED: {
        "zh-hans": (
            "岗位核减招聘人数：{{ position_name }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的招聘人数由{{ old_quota }}人核减为{{ new_quota }}人。{% if reason %}核减原因：{{ reason }}。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Vacancies reduced: {{ position_name }}",
            "Dear {{ recipient_name }}, the vacancies of {{ position_name }} ({{ announcement_title }}) were reduced from {{ old_quota }} to {{ new_quota }}.{% if reason %} Reason: {{ reason }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.POSITION_CANCELLED: {
        "zh-hans": (
            "岗位取消招聘：{{ position_name }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”取消招聘。{% if reason %}取消原因：{{ reason }}。{% endif %}{% if can_switch %}您可在{{ deadline }}前改报一次其他岗位。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Position cancelled: {{ position_name }}",
            "Dear {{ recipient_name }}, {{ position_name }} ({{ announcement_title }}) was cancelled.{% if reason %} Reason: {{ reason }}.{% endif %}{% if can_switch %} You may switch once to another position until {{ deadline }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.TICKET_READY: {
        "zh-hans": (
            "准考证可打印：{{ announcement_title }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的笔试准考证可于{{ print_from }}至{{ print_until }}打印。{% if url %}打印：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Admission ticket ready: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the admission ticket for {{ position_name }} ({{ announcement_title }}) can be printed from {{ print_from }} to {{ print_until }}.{% if url %} Print: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SCORES_PUBLISHED: {
        "zh-hans": (
            "成绩已公布：{{ announcement_title }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的成绩已公布{% if score %}，您的成绩为{{ score }}分{% endif %}。{% if url %}查询：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Scores published: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the scores for {{ position_name }} ({{ announcement_title }}) are published{% if score %}; your score is {{ score }}{% endif %}.{% if url %} See: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SHORTLISTED: {
        "zh-hans": (
            "进入面试：{{ position_name }}",
            "{{ recipient_name }}，您好！您已进入“{{ announcement_title }}”中“{{ position_name }}”的面试，请留意面试安排通知。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Shortlisted for interview: {{ position_name }}",
            "Dear {{ recipient_name }}, you are shortlisted for the interview for {{ position_name }} ({{ announcement_title }}). Watch for the interview schedule.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.INTERVIEW_SCHEDULED: {
        "zh-hans": (
            "面试安排：{{ position_name }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的面试定于{{ interview_at }}在{{ venue }}进行。{% if report_by %}请于{{ report_by }}前到{% if waiting_room %}{{ waiting_room }}{% else %}候考室{% endif %}报到，按抽签顺序依次面试。{% endif %}请携带{% if bring %}{{ bring }}{% else %}身份证和准考证{% endif %}按时参加。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Interview schedule: {{ position_name }}",
            "Dear {{ recipient_name }}, the interview for {{ position_name }} ({{ announcement_title }}) is at {{ interview_at }}, {{ venue }}.{% if report_by %} Report to {% if waiting_room %}{{ waiting_room }}{% else %}the waiting room{% endif %} by {{ report_by }}; candidates are interviewed in the order drawn.{% endif %} Bring {% if bring %}{{ bring }}{% else %}your ID card and admission ticket{% endif %}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.RANKED: {
        "zh-hans": (
            "综合成绩排名：{{ position_name }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的综合成绩已公布，您的综合成绩为{{ composite_score }}分，在该岗位排名第{{ rank }}名。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Ranking: {{ position_name }}",
            "Dear {{ recipient_name }}, the composite scores for {{ position_name }} ({{ announcement_title }}) are published: yours is {{ composite_score }}, rank {{ rank }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.PROPOSED: {
        "zh-hans": (
            "拟录用：{{ position_name }}",
            "{{ recipient_name }}，您好！您被确定为“{{ announcement_title }}”中“{{ position_name }}”的拟录用人员。{{ next_steps }}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Proposed for hiring: {{ position_name }}",
            "Dear {{ recipient_name }}, you are proposed for hiring for {{ position_name }} ({{ announcement_title }}). {{ next_steps }}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.PUBLIC_NOTICE: {
        "zh-hans": (
            "拟录用人员公示：{{ announcement_title }}",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”中“{{ position_name }}”的拟录用人员名单公示期为{{ notice_from }}至{{ notice_until }}。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Public notice: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the list of proposed hires for {{ position_name }} ({{ announcement_title }}) is on public notice from {{ notice_from }} to {{ notice_until }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.HIRED: {
        "zh-hans": (
            "录用通知：{{ position_name }}",
            "{{ recipient_name }}，您好！恭喜您被正式录用为社区工作者（“{{ announcement_title }}”中“{{ position_name }}”），请于{{ report_at }}到{{ report_place }}报到{% if report_materials %}，报到时请携带：{{ report_materials }}{% endif %}。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "You are hired: {{ position_name }}",
            "Dear {{ recipient_name }}, congratulations: you are hired as a community worker, {{ position_name }} ({{ announcement_title }}). Please report at {{ report_at }} to {{ report_place }}{% if report_materials %}, bringing: {{ report_materials }}{% endif %}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.TRAINING_SCHEDULED: {
        "zh-hans": (
            "岗前培训安排：{{ programme_name }}",
            "{{ recipient_name }}，您好！“{{ programme_name }}”将于{{ starts_at }}在{{ venue }}开始，请按时参加。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Training scheduled: {{ programme_name }}",
            "Dear {{ recipient_name }}, {{ programme_name }} starts at {{ starts_at }}, {{ venue }}. Please attend on time.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.REMINDER_DRAFT_UNSUBMITTED: {
        "zh-hans": (
            "报名即将截止，您的报名尚未提交",
            "{{ recipient_name }}，您好！“{{ announcement_title }}”报名将于{{ deadline }}截止，您报考“{{ position_name }}”的报名还未提交，请尽快完成。{% if url %}继续报名：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Registration closes soon: your application is not submitted",
            "Dear {{ recipient_name }}, registration for {{ announcement_title }} closes at {{ deadline }} and your application for {{ position_name }} is not submitted yet.{% if url %} Continue: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.REMINDER_RETURNED_FIX: {
        "zh-hans": (
            "退回的报名尚未修改",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的报名被退回后尚未重新提交，修改要求：{{ fix_instructions }}，截止时间：{{ deadline }}。{% if url %}去修改：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Your returned application is not corrected yet",
            "Dear {{ recipient_name }}, your returned application for {{ position_name }} ({{ announcement_title }}) has not been submitted again. To fix: {{ fix_instructions }}. Deadline: {{ deadline }}.{% if url %} Correct it: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.REMINDER_REVIEWER_QUEUE: {
        "zh-hans": (
            "您有{{ pending_count }}份报名待审核",
            "{{ recipient_name }}，您好！您负责的公告中有{{ pending_count }}份报名等待资格审核。{% if url %}去审核：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "{{ pending_count }} applications await your review",
            "Dear {{ recipient_name }}, {{ pending_count }} applications of your announcements await eligibility review.{% if url %} Review: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    # Written by an administrator in one language: both languages show it as written.
    E.MASS_NOTICE: {
        "zh-hans": ("{{ subject }}", "{{ body }}"),
        "en": ("{{ subject }}", "{{ body }}"),
    },
    E.ANNOUNCEMENT_CORRECTED: {
        "zh-hans": (
            "{{ correction_kind }}：{{ announcement_title }}",
            "{{ recipient_name }}，您好！您报名的“{{ announcement_title }}”{% if position_name %}（{{ position_name }}）{% endif %}发布了{{ correction_kind }}“{{ correction_title }}”。{% if reason %}原因：{{ reason }}。{% endif %}请查看修改内容。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Announcement amended: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the announcement you applied to, {{ announcement_title }}{% if position_name %} ({{ position_name }}){% endif %}, was amended: {{ correction_title }}.{% if reason %} Reason: {{ reason }}.{% endif %} Please read what changed.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.EXAM_REMINDER: {
        "zh-hans": (
            "明天笔试：{{ announcement_title }}",
            "{{ recipient_name }}，您好！您报考“{{ position_name }}”的笔试“{{ subject }}”将于{{ starts_at }}开始，考点：{{ venue }}。请携带准考证和身份证原件提前到达，开考后规定时间内未进入考场者不得入场。{% if url %}查看准考证：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Written exam tomorrow: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the written exam {{ subject }} for {{ position_name }} starts at {{ starts_at }}. Venue: {{ venue }}. Bring your admission ticket and ID card and arrive early: late entry is refused after the cut-off.{% if url %} Your ticket: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.EXAM_CHANGED: {
        "zh-hans": (
            "笔试安排更正：{{ announcement_title }}",
            "{{ recipient_name }}，您好！您报考“{{ position_name }}”的笔试安排有更正：{{ change }}。{% if reason %}原因：{{ reason }}。{% endif %}请以更正后的安排为准，准考证可重新打印。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Written exam arrangements changed: {{ announcement_title }}",
            "Dear {{ recipient_name }}, the written exam arrangements for {{ position_name }} changed: {{ change }}.{% if reason %} Reason: {{ reason }}.{% endif %} The new arrangements apply; you may print your ticket again.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.TICKET_FORFEITED: {
        "zh-hans": (
            "未按时打印准考证：{{ announcement_title }}",
            "{{ recipient_name }}，您好！您报考“{{ position_name }}”的准考证打印已于{{ print_until }}截止，您未在规定时间内打印准考证，按招聘公告规定视为放弃笔试（弃考）。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Admission ticket not printed: {{ announcement_title }}",
            "Dear {{ recipient_name }}, printing of admission tickets for {{ position_name }} closed at {{ print_until }}. You did not print yours in time, which under the announcement means you have given up the written exam.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.APPLICATION_REOPENED: {
        "zh-hans": (
            "资格审核重新进行：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的资格审核结论已由招聘单位撤销，报名重新进入待审核状态，审核结果将另行通知。原因：{{ reason }}。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Eligibility review reopened: {{ position_name }}",
            "Dear {{ recipient_name }}, the eligibility review decision on your application for {{ position_name }} ({{ announcement_title }}) has been withdrawn by the recruiting office, and your application is awaiting review again. You will be told the new result. Reason: {{ reason }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SCORE_CORRECTED: {
        "zh-hans": (
            "笔试成绩更正：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的笔试成绩已由{{ old_score }}更正为{{ new_score }}。更正原因：{{ reason }}。{% if url %}查询：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Written score corrected: {{ position_name }}",
            "Dear {{ recipient_name }}, your written score for {{ position_name }} ({{ announcement_title }}) was corrected from {{ old_score }} to {{ new_score }}. Reason: {{ reason }}.{% if url %} See: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SCORE_REVIEW_ANSWERED: {
        "zh-hans": (
            "成绩复核结果：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的笔试成绩复核已办结：{{ outcome }}，复核后成绩为{{ score }}。{% if reason %}说明：{{ reason }}。{% endif %}{% if url %}查询：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Score review answered: {{ position_name }}",
            "Dear {{ recipient_name }}, the review of your written score for {{ position_name }} ({{ announcement_title }}) is complete: {{ outcome }}; the score after review is {{ score }}.{% if reason %} Note: {{ reason }}.{% endif %}{% if url %} See: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SHORTLIST_BACKFILLED: {
        "zh-hans": (
            "递补进入面试：{{ position_name }}",
            "{{ recipient_name }}，您好！因有入围人员放弃或被取消资格，您已递补进入“{{ announcement_title }}”中“{{ position_name }}”的面试。{% if deadline %}请于{{ deadline }}前登录确认是否参加面试。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Shortlisted as a replacement: {{ position_name }}",
            "Dear {{ recipient_name }}, a shortlisted candidate withdrew or was disqualified, and you are now shortlisted for the interview for {{ position_name }} ({{ announcement_title }}).{% if deadline %} Please sign in and confirm your attendance by {{ deadline }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SHORTLIST_GAVE_UP: {
        "zh-hans": (
            "放弃面试已确认：{{ position_name }}",
            "{{ recipient_name }}，您好！您放弃“{{ announcement_title }}”中“{{ position_name }}”面试资格的声明已确认（{{ method }}）。如非本人操作，请立即与招聘单位联系。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Withdrawal from the interview confirmed: {{ position_name }}",
            "Dear {{ recipient_name }}, your declaration giving up the interview for {{ position_name }} ({{ announcement_title }}) is confirmed ({{ method }}). If you did not make it, contact the recruiting office at once.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.RECHECK_RESULT: {
        "zh-hans": (
            "资格复审结果：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”的资格复审结果：{{ outcome }}。{% if reason %}说明：{{ reason }}。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Document re-check: {{ position_name }}",
            "Dear {{ recipient_name }}, the re-check of your documents for {{ position_name }} ({{ announcement_title }}): {{ outcome }}.{% if reason %} Note: {{ reason }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.APPLICATION_DISQUALIFIED: {
        "zh-hans": (
            "取消资格：{{ position_name }}",
            "{{ recipient_name }}，您好！经资格审查，招聘单位取消了您在“{{ announcement_title }}”中报考“{{ position_name }}”的资格。原因：{{ reason }}。如有异议，请与招聘单位联系。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Disqualified: {{ position_name }}",
            "Dear {{ recipient_name }}, after an eligibility check the recruiting office disqualified your application for {{ position_name }} ({{ announcement_title }}). Reason: {{ reason }}. Contact the recruiting office if you disagree.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    # workforce (issue 19)
    E.EXTRA_TEST_NOTICE: {
        "zh-hans": (
            "加试通知：{{ position_name }}",
            "{{ recipient_name }}，您好！您在“{{ announcement_title }}”中报考“{{ position_name }}”，综合成绩及各项比较条件与其他考生完全相同，且并列名次跨越最后一个招聘名额，须参加加试，按加试成绩确定排名。{% if test_date or test_time %}加试时间：{{ test_date }}{% if test_date and test_time %} {% endif %}{{ test_time }}。{% endif %}{% if test_place %}加试地点：{{ test_place }}。{% endif %}{% if not test_date and not test_time and not test_place %}加试时间和地点另行通知。{% elif not test_place %}加试地点另行通知。{% elif not test_date and not test_time %}加试时间另行通知。{% endif %}请携带本人身份证和准考证按时参加。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Extra test: {{ position_name }}",
            "Dear {{ recipient_name }}, for {{ position_name }} ({{ announcement_title }}) your composite score and every tie-breaker equal those of other candidates, and the tie spans the last vacancy: you must sit an extra test, whose score decides the ranking.{% if test_date or test_time %} Time: {{ test_date }}{% if test_date and test_time %} {% endif %}{{ test_time }}.{% endif %}{% if test_place %} Place: {{ test_place }}.{% endif %}{% if not test_date and not test_time and not test_place %} The time and place will be announced later.{% elif not test_place %} The place will be announced later.{% elif not test_date and not test_time %} The time will be announced later.{% endif %} Please bring your ID card and admission ticket.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.WORKER_INVITED: {
        "zh-hans": (
            "社区工作者账号已开通：{{ unit_name }}",
            "{{ recipient_name }}，您好！您在{{ unit_name }}的社区工作者账号已开通，登录名为本手机号。请打开 {{ site_url }}{{ url }} ，用本手机号接收验证码设置登录密码，之后可查看本人档案、培训、考核、等级和兼职报备。",
        ),
        "en": (
            "Your community worker account is open: {{ unit_name }}",
            "Dear {{ recipient_name }}, your community worker account at {{ unit_name }} is open; your sign-in name is this phone number. Open {{ site_url }}{{ url }} and set your password with a code sent to this phone, then see your record, training, assessments, grade and side jobs.",
        ),
    },
    E.PROBATION_DUE: {
        "zh-hans": (
            "试用期即将届满：{{ worker_name }}",
            "{{ recipient_name }}，您好！{{ worker_name }}的试用期将于{{ ends_on }}届满，请在届满前完成试用期考核（转正或不予转正）。{% if url %}办理：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Probation ending soon: {{ worker_name }}",
            "Dear {{ recipient_name }}, the probation of {{ worker_name }} ends on {{ ends_on }}. Please review it (confirm or end) before then.{% if url %} Review: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.PROBATION_DECIDED: {
        "zh-hans": (
            "试用期考核结果",
            "{{ recipient_name }}，您好！您的试用期考核结果：{{ outcome }}。{% if reason %}说明：{{ reason }}。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Probation review result",
            "Dear {{ recipient_name }}, the result of your probation review: {{ outcome }}.{% if reason %} Note: {{ reason }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.ASSESSMENT_CONFIRMED: {
        "zh-hans": (
            "{{ year }}年度考核结果",
            "{{ recipient_name }}，您好！您的{{ year }}年度考核结果已确认：{{ outcome }}。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Annual assessment {{ year }}",
            "Dear {{ recipient_name }}, your annual assessment for {{ year }} is confirmed: {{ outcome }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.ASSESSMENT_SUBMITTED: {
        "zh-hans": (
            "{{ unit_name }}{{ year }}年度考核结果待确认",
            "{{ recipient_name }}，您好！{{ unit_name }}已提交{{ year }}年度考核结果，请审核确认。{% if url %}审核：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Annual assessment {{ year }} of {{ unit_name }} to confirm",
            "Dear {{ recipient_name }}, {{ unit_name }} has submitted its annual assessment results for {{ year }}. Please review and confirm them.{% if url %} Review: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.ASSESSMENT_RETURNED: {
        "zh-hans": (
            "{{ unit_name }}{{ year }}年度考核结果被退回",
            "{{ recipient_name }}，您好！{{ unit_name }}{{ year }}年度考核结果已被退回，原因：{{ reason }}。请重新评定后提交。{% if url %}办理：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Annual assessment {{ year }} of {{ unit_name }} returned",
            "Dear {{ recipient_name }}, the annual assessment results of {{ unit_name }} for {{ year }} were returned: {{ reason }}. Please assess again and resubmit.{% if url %} Open: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.GRADE_CHANGED: {
        "zh-hans": (
            "岗位等级调整：{{ grade_to }}级",
            "{{ recipient_name }}，您好！您的岗位等级自{{ effective }}起由{{ grade_from }}级调整为{{ grade_to }}级。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Grade changed to {{ grade_to }}",
            "Dear {{ recipient_name }}, your grade changes from {{ grade_from }} to {{ grade_to }} on {{ effective }}.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SIDE_JOB_DECLARED: {
        "zh-hans": (
            "兼职报备待审批：{{ worker_name }}",
            "{{ recipient_name }}，您好！{{ worker_name }}报备了在“{{ organisation }}”的兼职，请审批。{% if url %}审批：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Side job to approve: {{ worker_name }}",
            "Dear {{ recipient_name }}, {{ worker_name }} declared a side job at {{ organisation }}. Please approve or refuse it.{% if url %} Decide: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SIDE_JOB_DECIDED: {
        "zh-hans": (
            "兼职报备审批结果：{{ organisation }}",
            "{{ recipient_name }}，您好！您在“{{ organisation }}”的兼职报备审批结果：{{ outcome }}。{% if reason %}说明：{{ reason }}。{% endif %}{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Side job decision: {{ organisation }}",
            "Dear {{ recipient_name }}, the decision on your side job at {{ organisation }}: {{ outcome }}.{% if reason %} Note: {{ reason }}.{% endif %}{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.SIDE_JOB_EXPIRING: {
        "zh-hans": (
            "兼职报备即将到期：{{ organisation }}",
            "{{ recipient_name }}，您好！您在“{{ organisation }}”的兼职报备将于{{ ends_on }}到期，如需继续兼职，请在到期前重新报备。{% if url %}续报：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Side job approval ends soon: {{ organisation }}",
            "Dear {{ recipient_name }}, the approval of your side job at {{ organisation }} ends on {{ ends_on }}. To continue, declare it again before then.{% if url %} Renew: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
    E.TRAINING_BEHIND: {
        "zh-hans": (
            "培训学时不足",
            "{{ recipient_name }}，您好！您本周期已完成培训{{ hours }}学时，要求不少于{{ required }}学时，周期截至{{ period_end }}，请及时参加培训。{% if url %}详情：{{ site_url }}{{ url }}{% endif %}",
        ),
        "en": (
            "Training hours behind",
            "Dear {{ recipient_name }}, you have {{ hours }} training hours in this period; {{ required }} are required by {{ period_end }}. Please attend training soon.{% if url %} Details: {{ site_url }}{{ url }}{% endif %}",
        ),
    },
}
