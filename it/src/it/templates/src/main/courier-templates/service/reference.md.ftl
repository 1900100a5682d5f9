# ${service.name} (user template)
<#list service.methods as m>
- ${m.fullName}: ${m.comment} [${m.policy.balancer}, timeout ${m.policy.timeout!"-"}, key ${m.policy.hashKey!"-"}]
</#list>
