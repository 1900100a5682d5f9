<#list build.services as s>${s.fullName}
</#list>